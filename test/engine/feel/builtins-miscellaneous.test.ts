/** FEEL reference, "Miscellaneous functions": fromAi() returns its value unchanged. */
import { examples } from './support';

const toolCall = { searchQuery: 'appalti Rieti', userId: 42, documentType: 'invoice', tags: ['a'] };

describe('fromAi()', () => {
  examples([
    ['fromAi(toolCall.searchQuery)', 'appalti Rieti', { toolCall }],
    ['fromAi(toolCall.userId)', 42, { toolCall }],
    ['fromAi("A")', 'A'],
    [
      'fromAi(toolCall.searchQuery, "The search query used to find the best match.")',
      'appalti Rieti',
      { toolCall },
    ],
    ['fromAi(toolCall.searchQuery, null)', 'appalti Rieti', { toolCall }],
    ['fromAi(toolCall.userId, "The user\'s ID", "number")', 42, { toolCall }],
    ['fromAi(value: toolCall.userId, type: "number")', 42, { toolCall }],
    [
      'fromAi(toolCall.documentType, "The document type to provide", "string", {enum: ["invoice", "receipt", "contract"]})',
      'invoice',
      { toolCall },
    ],
    [
      'fromAi(value: toolCall.documentType, description: "The document type to provide", schema: {type: "string", enum: ["invoice", "receipt", "contract"]})',
      'invoice',
      { toolCall },
    ],
    [
      'fromAi(toolCall.documentType, "The document type to provide", "string", null, {strict: true, required: false})',
      'invoice',
      { toolCall },
    ],
    [
      'fromAi(value: toolCall.documentType, options: {strict: true, required: false})',
      'invoice',
      { toolCall },
    ],
  ]);
});
