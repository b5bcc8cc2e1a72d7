/** OpenAPI description of the training line's endpoints (/api/v1/training/...). */
import type { OpenApiFragment } from '../core/route-table';
import { problemResponse as problem, jsonContent as json } from '../core/openapi-parts';

const yearParam = {
  name: 'year',
  in: 'query',
  description: 'Calendar year (default: the current one)',
  schema: { type: 'integer', minimum: 2000, maximum: 2100 },
};
const comuneParam = {
  name: 'comune',
  in: 'query',
  description: 'ISTAT code of one comune of the province',
  schema: { type: 'string', pattern: '^[0-9]{6}$' },
};
const anyObject = { type: 'object', additionalProperties: true };

export const trainingOpenApi: OpenApiFragment = {
  tags: [{ name: 'training', description: 'Training of the comuni’s staff (40 hours a year)' }],
  components: {
    schemas: {
      TrainingCourse: {
        type: 'object',
        required: ['courseCode', 'title', 'hours', 'seats', 'seatsTaken', 'waiting', 'status'],
        properties: {
          courseCode: { type: 'string' },
          title: { type: 'string' },
          source: { enum: ['syllabus', 'sna', 'formez', 'own', 'tendered'] },
          area: { type: 'string' },
          mandatory: { type: 'boolean' },
          mode: { type: 'string' },
          hours: { type: 'number' },
          seats: { type: 'integer' },
          seatsTaken: { type: 'integer' },
          waiting: { type: 'integer', description: 'People on the waiting list' },
          status: { enum: ['open', 'closed', 'completed', 'cancelled'] },
          myStatus: { enum: ['confirmed', 'waiting'] },
        },
      },
      TrainingHoursReport: {
        type: 'object',
        required: ['year', 'target', 'employees', 'perComune', 'perOffice', 'totals'],
        properties: {
          year: { type: 'integer' },
          target: { type: 'number', description: 'Annual hours per employee (settings)' },
          employees: { type: 'array', items: anyObject },
          perComune: { type: 'array', items: anyObject },
          perOffice: { type: 'array', items: anyObject },
          totals: anyObject,
        },
      },
    },
  },
  paths: {
    '/api/v1/training/me': {
      get: {
        tags: ['training'],
        summary: 'The caller’s certified hours of the year, certificates and outcomes',
        parameters: [yearParam],
        responses: {
          '200': { description: 'My training', content: json(anyObject) },
          default: problem,
        },
      },
    },
    '/api/v1/training/courses': {
      get: {
        tags: ['training'],
        summary: 'The province’s course catalogue with seats and waiting lists',
        responses: {
          '200': {
            description: 'The catalogue',
            content: json({
              type: 'object',
              properties: {
                items: { type: 'array', items: { $ref: '#/components/schemas/TrainingCourse' } },
              },
            }),
          },
          default: problem,
        },
      },
    },
    '/api/v1/training/courses/{code}/close-enrolment': {
      post: {
        tags: ['training'],
        summary: 'Close a course’s enrolment before its date (training office)',
        parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '202': { description: 'Closing', content: json(anyObject) },
          default: problem,
        },
      },
    },
    '/api/v1/training/campaigns': {
      get: {
        tags: ['training'],
        summary: 'Needs-survey campaigns of the province (training office)',
        responses: {
          '200': { description: 'Campaigns', content: json(anyObject) },
          default: problem,
        },
      },
    },
    '/api/v1/training/campaigns/{key}': {
      get: {
        tags: ['training'],
        summary: 'One campaign: progress per comune, needs analysis, adopted plan',
        parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The campaign', content: json(anyObject) },
          default: problem,
        },
      },
    },
    '/api/v1/training/starts/{what}': {
      post: {
        tags: ['training'],
        summary:
          'Start a campaign, a course, a yearly report (training office) or an individual plan (head of office) with its start form’s data',
        parameters: [
          {
            name: 'what',
            in: 'path',
            required: true,
            schema: { enum: ['campaign', 'course', 'report', 'individual-plan'] },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                description:
                  'The data of the start form (forms/training-campaign.json, training-course.json, training-report.json, training-individual-plan.json); validated on the server, 422 names every invalid field',
              },
              example: { reportYear: 2026 },
            },
          },
        },
        responses: {
          '201': {
            description: 'The process instance started',
            content: json({
              type: 'object',
              required: ['processInstanceKey'],
              properties: { processInstanceKey: { type: 'string' } },
            }),
          },
          default: problem,
        },
      },
    },
    '/api/v1/training/report': {
      get: {
        tags: ['training'],
        summary: 'Certified hours per employee against the annual target, per comune and office',
        parameters: [yearParam, comuneParam],
        responses: {
          '200': {
            description: 'The report',
            content: json({ $ref: '#/components/schemas/TrainingHoursReport' }),
          },
          default: problem,
        },
      },
    },
    '/api/v1/training/indicators': {
      get: {
        tags: ['training'],
        summary:
          'Hours per capita, share at the target, share with an individual plan, pass rate, mean reaction score, spend by funding source',
        parameters: [yearParam, comuneParam],
        responses: {
          '200': { description: 'Indicators', content: json(anyObject) },
          default: problem,
        },
      },
    },
  },
};
