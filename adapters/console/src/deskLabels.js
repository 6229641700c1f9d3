// Chinese labels for the department inbox and the auditor's desk. States,
// events and departments are the console's one table (labels.js).
import { repairDocumentNames, stateNames } from './labels.js';

export { departmentNames, eventLabel, eventNames } from './labels.js';

// Why the API refused an extension (POST /v1/tasks/{id}/extension).
export const extensionRefusals = {
  already_extended: '办理期限已延长过一次，不能再次延长',
  extension_not_allowed: '适用规定不允许延长办理期限',
  event_not_allowed: '任务当前状态不能延期',
};

// The repair application's documents, as at the window.
export const documentNames = repairDocumentNames;

// A department task's states, as everywhere.
export const taskStateNames = stateNames;

export const outcomeNames = {
  approved: '同意修复',
  denied: '不同意修复',
  overdue: '超期未办',
};

export const penaltyNames = {
  fine: '罚款',
  warning: '警告',
  confiscation: '没收违法所得',
  suspension: '责令停产停业',
  revocation: '吊销许可证件',
};

export const problemNames = {
  'hash mismatch': '哈希值不符（事件内容被改动）',
  'prev_hash does not link': '前序哈希不衔接（链被截断或重排）',
  'seq gap': '事件序号不连续',
};

// A chain check's problem ("hash mismatch: ...") in Chinese, the original
// kept in brackets for the record.
export function chainProblem(text) {
  const key = Object.keys(problemNames).find((k) => (text || '').startsWith(k));
  return key ? `${problemNames[key]}（${text}）` : text || '';
}

// A problem from the API as a Chinese sentence (the ApiError's message,
// problems.js); anything else as it is.
export function problemText(e) {
  if (!e) return '';
  return e.message || String(e);
}
