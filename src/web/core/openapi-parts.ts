/**
 * OpenAPI pieces every area's fragment uses, defined once: the shared RFC 9457 problem
 * response (components.responses.Problem, in src/web/api/openapi.ts) and JSON content.
 */
export const problemResponse = { $ref: '#/components/responses/Problem' };

export const jsonContent = (schema: unknown) => ({ 'application/json': { schema } });
