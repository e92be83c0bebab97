/**
 * A deliberately small JSON Schema checker: just the keywords the report schema uses
 * (type, const, enum, properties, required, additionalProperties, items, minimum,
 * local $ref). It lets the reader of --rerun-failed and the tests share the schema
 * that is published, without a validator dependency. Unknown keywords are ignored,
 * as annotations are in JSON Schema.
 */

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: JsonType | readonly JsonType[];
  const?: unknown;
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minimum?: number;
  format?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
  }
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
  const target = match?.[1] !== undefined ? root.$defs?.[match[1]] : undefined;
  if (!target) throw new Error(`unsupported or unknown $ref ${ref}`);
  return target;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Every way `value` breaks `schema`, as "path: problem" lines; empty when it conforms. */
export function schemaViolations(value: unknown, schema: JsonSchema, root: JsonSchema = schema, path = '$'): string[] {
  if (schema.$ref !== undefined) return schemaViolations(value, resolveRef(schema.$ref, root), root, path);

  if (schema.type !== undefined) {
    const types: readonly JsonType[] = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((type) => hasType(value, type))) return [`${path}: must be ${types.join(' or ')}`];
  }
  if ('const' in schema && value !== schema.const) return [`${path}: must be ${JSON.stringify(schema.const)}`];
  if (schema.enum && !schema.enum.includes(value)) {
    return [`${path}: must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`];
  }
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) {
    return [`${path}: must be at least ${schema.minimum}`];
  }

  const problems: string[] = [];
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, index) => problems.push(...schemaViolations(item, items, root, childPath(path, index))));
  }
  if (isObject(value)) {
    for (const key of schema.required ?? []) {
      if (!(key in value)) problems.push(`${childPath(path, key)}: is required`);
    }
    for (const [key, child] of Object.entries(value)) {
      const declared = schema.properties?.[key];
      if (declared) {
        problems.push(...schemaViolations(child, declared, root, childPath(path, key)));
      } else if (schema.additionalProperties === false) {
        problems.push(`${childPath(path, key)}: is not allowed`);
      } else if (typeof schema.additionalProperties === 'object') {
        problems.push(...schemaViolations(child, schema.additionalProperties, root, childPath(path, key)));
      }
    }
  }
  return problems;
}
