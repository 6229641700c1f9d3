// Chinese names for the caseworker's window: documents, deadlines, form
// members and the API's field-error codes. States, events, departments and
// record kinds are the console's one table (../labels.js).
export { departmentNames, eventNames, nameOf, reasonNames, recordKindNames, repairDocumentNames, stateNames } from '../labels.js';

// The form each event carries under `form`, rendered from its XML definition.
export const eventForms = {
  VerificationReported: 'verification_report',
};

// Labels of event data members (the event declarations name them in English).
export const memberLabels = {
  inspector: '核查人员',
  note: '备注',
  reason: '理由',
  findings: '核查发现',
  documents: '材料',
  by: '异议人',
  grounds: '理由',
};

export const optionLabels = {
  false_materials: '提供虚假材料',
  reorganisation_failed: '重整失败',
  other: '其他',
};

export const documentNames = {
  notice: '告知承诺告知书',
  commitment_letter: '告知承诺书',
  verification_report: '告知承诺核查报告',
  rectification_order: '责令整改通知书',
  revocation_decision: '撤销决定书',
  penalty_referral: '案件移送函',
  repair_notice: '信用修复结果告知书',
};

export const decisionNames = {
  approve: '准予修复',
  approved: '准予修复',
  deny: '不予修复',
  denied: '不予修复',
};

// The API's field-error codes in Chinese; {label} is the field's label.
const fieldErrorTexts = {
  required: '请填写{label}',
  missing_field: '请填写{label}',
  wrong_type: '{label}的格式不正确',
  invalid_type: '{label}的格式不正确',
  pattern: '{label}不符合规定格式',
  not_an_option: '请从选项中选择{label}',
  invalid_date: '{label}不是有效日期（年-月-日）',
  too_long: '{label}超过长度限制',
  out_of_range: '{label}超出允许范围',
  invalid_credit_code: '统一社会信用代码不正确（18位，校验位须正确）',
  unknown_field: '表单中没有{label}这一项',
  date_in_future: '{label}不得晚于申报当日',
  letter_too_old: '{label}距申报日超过规定天数，请重新签署',
  applicant_name_mismatch: '{label}须与登记的主体名称一致',
  unknown_commitment_type: '请从目录中选择承诺事项',
};

export function fieldErrorText(error, fieldLabel) {
  const text = fieldErrorTexts[error.code];
  if (!text) return error.message || error.code;
  return text.replace('{label}', fieldLabel || error.field);
}

// A Chinese hint from a field's constraints (the form definition's own).
export function constraintHint(field) {
  const parts = [];
  if (field.type === 'credit_code') parts.push('18位统一社会信用代码');
  if (field.max_length) parts.push(`最多${field.max_length}字`);
  const list = field.type === 'enum_list' || field.type === 'string_list';
  if (list && field.min) parts.push(`至少选择${field.min}项`);
  if (!list && field.min != null && field.max != null) parts.push(`${field.min}至${field.max}`);
  return parts.join('；');
}


export const timerNames = {
  application_window: '申请期限',
  decision_due: '办理期限',
  verification_due: '核查期限',
  escalation: '督办期限',
  interview_due: '约谈期限',
  progress_due: '进度期限',
  publication_end: '公示期满',
  rectification_due: '整改期限',
  repairable_from: '可申请修复日',
};
