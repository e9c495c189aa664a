// The JSON Schema of a JSON header as fast-json-stringify writes it (see json-header-codec.ts).
// `npm run build` turns it into a standalone serializer (scripts/gen-serializers.mjs), so a start
// of the broker loads a few kilobytes of generated code instead of fast-json-stringify and ajv.
export const JSON_HEADER_SCHEMA = {
  type: 'object',
  properties: {
    code: { type: 'integer' },
    extFields: { type: 'object', additionalProperties: { type: 'string' } },
    flag: { type: 'integer' },
    language: { type: 'string' },
    opaque: { type: 'integer' },
    remark: { type: 'string' },
    serializeTypeCurrentRPC: { type: 'string' },
    version: { type: 'integer' },
  },
} as const;

/** The generated serializer's file name, beside the compiled json-header-codec.js. */
export const JSON_HEADER_SERIALIZER_FILE = 'json-header-serializer.generated.js';
