// Between a form definition's fields and the API: an empty model, the JSON
// the API takes, and the API's 422 field errors keyed by field name.
import { fieldErrorText, memberLabels, nameOf, optionLabels } from './labels.js';

export function emptyModel(fields) {
  const model = {};
  for (const f of fields) {
    if (f.type === 'enum_list') model[f.name] = [];
    else if (f.type === 'boolean') model[f.name] = false;
    else model[f.name] = '';
  }
  return model;
}

// Empty values are left out (the API reports a missing required field);
// numbers are sent as numbers, lists as arrays.
export function toPayload(fields, model) {
  const out = {};
  for (const f of fields) {
    const v = model[f.name];
    if (v === '' || v == null || (Array.isArray(v) && v.length === 0)) continue;
    if (f.type === 'integer' || f.type === 'number') {
      const n = Number(v);
      out[f.name] = Number.isFinite(n) && String(v).trim() !== '' ? n : v;
    } else if (f.type === 'string_list') {
      out[f.name] = String(v)
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    } else {
      out[f.name] = v;
    }
  }
  return out;
}

// { field: Chinese message } from a problem's errors. `prefix` ("form.")
// is stripped, so a nested form's errors land on its own fields.
export function errorsByField(problem, fields, prefix = '') {
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  const out = {};
  const rest = [];
  for (const e of (problem && problem.errors) || []) {
    let name = e.field || '';
    if (prefix && name.startsWith(prefix)) name = name.slice(prefix.length);
    if (byName[name]) out[name] = fieldErrorText(e, byName[name].label);
    else rest.push(fieldErrorText(e, name));
  }
  return { fields: out, other: rest };
}

// An event's data schema (GET /v1/workflows/{name}) as form fields.
export function fieldsOfSchema(schema) {
  const props = (schema && schema.properties) || {};
  const required = new Set((schema && schema.required) || []);
  const fields = [];
  for (const [name, p] of Object.entries(props)) {
    if (p.type === 'object') continue; // a nested form, rendered from its definition
    let type = 'string';
    if (p.enum) type = 'enum';
    else if (p.type === 'array') type = p.items && p.items.enum ? 'enum_list' : 'string_list';
    else if (p.format === 'date') type = 'date';
    else if (p.type === 'integer' || p.type === 'number' || p.type === 'boolean') type = p.type;
    else if (['note', 'reason', 'findings', 'grounds'].includes(name)) type = 'text';
    const values = p.enum || (p.items && p.items.enum) || [];
    fields.push({
      name,
      label: nameOf(memberLabels, name),
      type,
      required: required.has(name),
      max_length: p.maxLength || null,
      min: p.minimum ?? null,
      max: p.maximum ?? null,
      options: values.map((v) => ({ value: v, label: nameOf(optionLabels, v) })),
    });
  }
  return fields;
}
