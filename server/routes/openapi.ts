/** The OpenAPI document served at /api/openapi.json. The employer fields come from their one list (server/ingest/columns.ts). */
import { employerFieldSchemas } from '../ingest/columns';

export function openApiDocument() {
  const problem = {
    type: 'object',
    properties: {
      sheet: { type: 'string' },
      cell: { type: 'string' },
      severity: { type: 'string', enum: ['error', 'warning', 'notice'] },
      code: { type: 'string' },
      message: { type: 'string' },
      value: { type: 'string' },
    },
  };
  const problemTotals = {
    type: 'object',
    description: 'every problem counted (the list above is capped), by code and by kind',
    properties: {
      count: { type: 'integer' },
      kept: { type: 'integer' },
      byCode: { type: 'object', additionalProperties: { type: 'integer' } },
      bySeverity: { type: 'object', additionalProperties: { type: 'integer' } },
      byKind: {
        type: 'array',
        description: 'most frequent first; label is the kind in the language asked for (lang)',
        items: {
          type: 'object',
          properties: { code: { type: 'string' }, label: { type: 'string' }, n: { type: 'integer' } },
        },
      },
    },
  };
  return {
    openapi: '3.0.3',
    info: {
      title: 'QuotaDesk API',
      version: '0.1.0',
      description: '残疾人按比例就业合规台 — Jiaxing 嘉政发〔2016〕46号. Result contract: docs/rules.md §10.',
    },
    paths: {
      '/api/check': {
        post: {
          summary: 'Check a workbook (calculator: no login, nothing stored)',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: {
                      type: 'string',
                      format: 'binary',
                      description: '.xlsx workbook, or .csv roster with the employer fields below',
                    },
                    ...employerFieldSchemas(),
                    socialAverageWage: {
                      type: 'string',
                      pattern: '^\\d+(\\.\\d{1,2})?$',
                      description:
                        "元 per year: the data year's social average wage for the wage cap, replacing any configured value",
                    },
                    alreadyPaid: {
                      type: 'string',
                      pattern: '^\\d+(\\.\\d{1,2})?$',
                      description: '元 already paid for the year (tax form column 11)',
                    },
                  },
                },
              },
            },
          },
          parameters: [{ name: 'lang', in: 'query', schema: { type: 'string', enum: ['zh', 'en'] } }],
          responses: {
            200: {
              description: 'docs/rules.md §10 result (plus whatIf)',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            413: { description: 'file larger than the limit' },
            422: {
              description: 'the workbook has problems; nothing computed',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { problems: { type: 'array', items: problem }, problemTotals },
                  },
                },
              },
            },
          },
        },
      },
      '/api/parameters': {
        get: {
          summary: 'Parameters in force on a date, each with its source',
          parameters: [{ name: 'date', in: 'query', schema: { type: 'string', format: 'date' } }],
          responses: { 200: { description: 'parameters' } },
        },
      },
      '/api/submissions': {
        get: {
          summary: 'Submissions visible to the logged-in user (own employer, own county, or all)',
          parameters: [{ name: 'year', in: 'query', schema: { type: 'integer' } }],
          responses: { 200: { description: 'list' }, 401: { description: 'login required' } },
        },
      },
      '/api/submissions/{id}': {
        get: {
          summary: 'One submission with its full result',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { 200: { description: 'submission' }, 404: { description: 'not found or not yours' } },
        },
      },
      '/healthz': {
        get: { summary: 'Liveness: the process and its database answer', responses: { 200: { description: 'alive' } } },
      },
      '/readyz': {
        get: {
          summary: 'Readiness: database answering, migrations current, storage writable',
          responses: { 200: { description: 'ready' }, 503: { description: 'not ready: the failing check is named' } },
        },
      },
    },
  };
}
