// Chinese labels for the department inbox and the auditor's desk.

// Why a department denies a repair (the `reason` of POST
// /v1/tasks/{id}/decision: a code of at most 64 characters; the repair's
// own refusal codes where they fit).
export const denialReasons = [
  { code: 'obligations_not_performed', label: '未履行行政处罚决定规定的义务' },
  { code: 'minimum_period_not_served', label: '未满最短公示期' },
  { code: 'materials_untrue', label: '申请材料与实际情况不符' },
  { code: 'documents_missing', label: '申请材料不齐全' },
  { code: 'out_of_scope', label: '不属于可修复范围' },
  { code: 'denied_by_department', label: '其他原因（见说明）' },
];

// Why the API refused an extension (POST /v1/tasks/{id}/extension).
export const extensionRefusals = {
  already_extended: '办理期限已延长过一次，不能再次延长',
  extension_not_allowed: '适用规定不允许延长办理期限',
  event_not_allowed: '任务当前状态不能延期',
};

// Event names in the timelines (the code is shown beside them).
export const eventNames = {
  CaseOpened: '立案',
  RepairApplied: '提交修复申请',
  DocumentsSupplied: '补正材料',
  ChildReachedOutcome: '部门任务办结',
  RepairRevoked: '撤销修复',
  TaskAssigned: '任务分派',
  TaskDecided: '部门作出决定',
  DecisionExtended: '延长办理期限',
  DecisionDeadlinePassed: '办理期限届满',
  CommitmentFiled: '提交承诺',
  CommitmentSigned: '签署承诺',
  CommitmentWithdrawn: '撤回承诺',
  ObjectionRaised: '提出异议',
  VerificationOpened: '启动核查',
  VerificationStarted: '开始核查',
  VerificationReported: '报告核查结果',
  VerificationOverdue: '核查超期',
  RecordDecided: '认定失信记录',
  ObligationsFulfilled: '履行义务',
  PublicationEnded: '公示结束',
  PublicationPeriodEnded: '公示期届满',
  RepairableFromReached: '达到可修复日期',
  CreditRecordRepaired: '记录已修复',
  RepairApproved: '修复获批',
  SubjectRegistered: '主体登记',
  GradeSet: '评定等级',
  StatusChanged: '经营状态变更',
  NameChanged: '名称变更',
  ViolationReported: '报告违法行为',
  RectificationConfirmed: '确认整改',
  RectificationRefused: '拒不整改',
  RectificationDeadlinePassed: '整改期限届满',
};

export function eventLabel(code) {
  return eventNames[code] ? `${eventNames[code]}（${code}）` : code || '';
}

export const documentNames = {
  repair_commitment: '信用修复承诺书',
  proof_of_performance: '履行义务证明材料',
  business_licence: '营业执照',
  agent_id: '经办人身份证明',
  court_ruling: '人民法院裁定书',
};

export const taskStateNames = {
  Assigned: '已分派',
  InReview: '审查中',
  TaskApproved: '已同意',
  TaskDenied: '已不同意',
  Overdue: '已超期',
};

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

export const departmentNames = {
  market: '市场监督管理局',
  tax: '税务局',
  ecology: '生态环境局',
  environment: '生态环境局',
  housing: '住房和城乡建设局',
  health: '卫生健康委员会',
  transport: '交通运输局',
  safety: '应急管理局',
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

// A problem from the API as a Chinese sentence (403/404 first).
export function problemText(e) {
  if (!e) return '';
  const code = e.problem?.code || '';
  if (e.status === 403 && code === 'other_department') return '无权访问：该任务属于其他部门，本部门不能查看或办理。';
  if (e.status === 403) return '无权访问：您的角色不能使用此功能。';
  if (e.status === 404) return '未找到：该编号不存在，或已被删除。';
  if (e.status === 409) return `当前状态不允许此操作（${e.message}）`;
  if (e.status === 422) return `填写内容不符合要求（${e.message}）`;
  return `操作失败（HTTP ${e.status || '—'}）：${e.message}`;
}
