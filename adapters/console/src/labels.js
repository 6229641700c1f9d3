// Chinese labels for the API's codes.
export const roleNames = {
  caseworker: '窗口经办人',
  department: '部门办理人',
  auditor: '审计人员',
  admin: '管理员',
};

export const statusNames = {
  operating: '存续',
  not_operating: '未经营',
  unreachable: '无法联系',
  deregistered: '已注销',
  bankrupt: '破产',
};

export const workflowNames = {
  commitment: '信用承诺',
  verification: '承诺核查',
  false_commitment: '虚假承诺',
  record: '失信记录',
  repair: '信用修复',
  department_task: '部门任务',
  enforcement: '行政执法',
  remediation_ledger: '整改台账',
  subject: '主体档案',
};

export const recordKindNames = {
  administrative_penalty: '行政处罚',
  abnormal_operations: '经营异常名录',
  serious_dishonesty: '严重失信主体名单',
  false_commitment: '虚假承诺',
};

export function label(map, code) {
  return map[code] || code || '—';
}
