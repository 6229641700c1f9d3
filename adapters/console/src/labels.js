// Chinese names for the API's codes, one table per kind for every page: a
// state or an event is called the same at the window, in the inbox and at
// the audit desk. A code without a name is shown as it is, so nothing new is
// ever hidden; a unit test (tests/unit/adapters/console_labels_test.cc)
// checks that every state and event of every registered workflow has a name
// here.
export const roleNames = {
  caseworker: '窗口经办人',
  department: '部门办理人',
  auditor: '审计人员',
  admin: '管理员',
  system: '系统',
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
  false_commitment: '虚假承诺处理',
  dishonesty_record: '失信记录',
  repair: '信用修复',
  repair_task: '部门修复任务',
  enforcement: '行政执法',
  inspection: '双随机检查',
  inspection_task: '部门检查任务',
  remediation_ledger: '屡禁不止整治台账',
  subject: '主体档案',
};

// The kinds of a subject's records (the dishonesty record's `kind`, and the
// record kinds the catalogue's blocks and exclusions name).
export const recordKindNames = {
  penalty: '行政处罚',
  abnormal_list: '经营异常名录',
  serious_list: '严重违法失信名单',
  serious_dishonesty: '严重失信主体名单',
  false_commitment: '虚假承诺',
  rectification_commitment_breach: '未履行整改承诺',
};

// Departments as the policies and user accounts name them; another code is
// shown as it is.
export const departmentNames = {
  'market-regulation': '市场监管部门',
  market: '市场监管部门',
  tax: '税务部门',
  'human-resources': '人力资源社会保障部门',
  fire: '消防救援机构',
  ecology: '生态环境部门',
  environment: '生态环境部门',
  housing: '住房城乡建设部门',
  health: '卫生健康部门',
  transport: '交通运输部门',
  safety: '应急管理部门',
};

// The documents of a repair application.
export const repairDocumentNames = {
  repair_commitment: '信用修复承诺书',
  proof_of_performance: '履行法定义务证明',
  business_licence: '营业执照',
  agent_id: '经办人身份证明',
  court_ruling: '法院裁判文书',
  credit_report: '信用报告',
  training_certificate: '信用修复培训证明',
};

// Every state of every workflow.
export const stateNames = {
  // commitment
  CatalogueCheck: '目录核对',
  Notified: '已告知',
  InPublication: '公示中',
  AwaitingApplication: '待申请',
  UnderVerification: '核查中',
  RectificationOrdered: '责令整改中',
  OrdinaryProcedure: '转一般程序',
  Withdrawn: '已撤回',
  Lapsed: '已失效',
  Fulfilled: '已履约',
  Exempted: '免于核查',
  Revoked: '已撤销',
  // verification
  Opened: '已立案',
  AwaitingDraw: '待抽取',
  Scheduled: '待核查',
  InProgress: '核查进行中',
  Conforming: '与承诺相符',
  Nonconforming: '与承诺不符',
  // false commitment
  Rectified: '已整改',
  Repaired: '已修复',
  // dishonesty record
  Recorded: '已认定',
  Published: '公示中',
  NotPublished: '不予公示',
  Expired: '公示期满',
  // repair
  Received: '已接收',
  DocumentsRequested: '待补正材料',
  UnderReview: '审核中',
  Approved: '准予修复',
  PartiallyRepaired: '部分修复',
  NotAccepted: '不予受理',
  Rejected: '不予修复',
  // repair task (a department's)
  Assigned: '已分派',
  InReview: '审查中',
  Overdue: '已逾期',
  TaskApproved: '已同意',
  TaskDenied: '已不同意',
  // enforcement
  Reported: '违法行为已登记',
  CommitmentGiven: '已作出整改承诺',
  NoPenalty: '不予处罚',
  Mitigated: '从轻或减轻处罚',
  OrdinaryPenalty: '依法处罚',
  // inspection and its department tasks
  AwaitingResults: '待检查结果',
  Passed: '未发现问题',
  ProblemsFound: '发现问题',
  ToInspect: '待检查',
  TaskPassed: '未发现问题',
  TaskProblemsFound: '发现问题',
  // remediation ledger
  Drawn: '已筛查',
  InLedger: '已列入台账',
  Interviewed: '已约谈',
  Rectifying: '整改中',
  KeySupervision: '重点监管',
  ScreenedOut: '未列入台账',
  Closed: '已销号',
  Exited: '已移出台账',
  // subject
  Unregistered: '未登记',
  Registered: '已登记',
};

// Every event of every workflow: what a person does (the buttons) and what
// the system and the timers record (the timelines).
export const eventNames = {
  // the engine's own, in every workflow's histories
  CaseOpened: '立案',
  DeadlineRecomputed: '期限重新计算',
  // commitment
  CommitmentFiled: '提交承诺申请',
  LetterSigned: '签署告知承诺书',
  CommitmentWithdrawn: '撤回承诺',
  PublicationEnded: '公示期满',
  ObjectionRaised: '登记异议',
  ApplicationFiled: '提交申请',
  ApplicationWindowExpired: '申请期限届满',
  ChildReachedOutcome: '下级案件办结',
  // verification
  VerificationOpened: '启动核查',
  DrawMade: '随机抽取',
  VerificationStarted: '开始核查',
  VerificationReported: '登记核查报告',
  VerificationOverdue: '核查超期',
  // false commitment
  NonconformityFound: '发现承诺不实',
  RectificationConfirmed: '确认已整改',
  RectificationDeadlinePassed: '整改期限届满',
  RectificationRefused: '拒不整改（撤销并移送）',
  CreditRecordRepaired: '信用记录已修复',
  // dishonesty record
  RecordDecided: '认定失信记录',
  ObligationsFulfilled: '已履行法定义务',
  RepairableFromReached: '达到可申请修复日',
  EscalationDue: '督办期限届满',
  PublicationPeriodEnded: '公示期届满',
  RepairApproved: '修复获准',
  // repair and its department tasks
  RepairApplied: '提交修复申请',
  DocumentsSupplied: '补正材料',
  RepairRevoked: '撤销修复',
  TaskAssigned: '任务分派',
  TaskDecided: '部门作出决定',
  DecisionExtended: '延长办理期限',
  DecisionDeadlinePassed: '办理期限届满',
  // enforcement
  ViolationReported: '登记违法行为',
  // inspection
  InspectionPlanned: '列入检查计划',
  InspectionRequested: '申请检查',
  InspectionAssigned: '检查任务分派',
  InspectionResultRecorded: '登记检查结果',
  // remediation ledger
  LedgerDrawn: '列入整治台账',
  InterviewHeld: '开展约谈',
  InterviewDeadlinePassed: '约谈期限届满',
  ProgressDeadlinePassed: '进度报告期限届满',
  CommitmentSigned: '签署整改承诺',
  ExitCriteriaMet: '达到移出条件',
  // subject
  SubjectRegistered: '登记主体',
  GradeSet: '评定信用风险等级',
  StatusChanged: '经营状态变更',
  NameChanged: '名称变更',
};

// Reason codes of refusals, rejections and denials (scenarios/FORMAT.md's
// and the repair workflow's). A department's denial reasons come labelled
// from the regime's policy; these name the rest, and the same codes where a
// page has no policy at hand.
export const reasonNames = {
  minimum_period_not_served: '未满最短公示期',
  obligations_not_performed: '未履行行政处罚决定规定的义务',
  harm_not_removed: '未主动消除危害后果和不良影响',
  commitment_missing: '未作出信用修复承诺',
  materials_untrue: '申请材料与实际情况不符',
  not_repairable: '依法依规不得修复',
  no_early_stop: '不可提前停止公示',
  same_type_violation_since: '公示期间再次受到同类行政处罚',
  in_abnormal_list: '被列入经营异常名录',
  in_serious_list: '被列入严重违法失信名单',
  documents_missing: '申请材料不齐全',
  out_of_scope: '不属于信用修复范围',
  unrepaired_false_commitment: '存在未修复的虚假承诺记录',
  serious_dishonesty_record: '存在严重失信记录',
  not_first_violation: '非首次违法',
  invalid_credit_code: '统一社会信用代码无效',
  event_not_allowed: '当前状态不能办理此事项',
  objection_raised: '已提出异议',
  false_materials: '提供虚假材料',
  already_repaired: '已修复',
  record_not_shown: '记录未在公示中',
  denied_by_department: '部门不同意修复',
  bankruptcy_repair_not_available: '适用规定无破产重整临时修复',
  reorganisation_failed: '重整失败',
  overdue: '逾期未办理',
};

export function label(map, code) {
  return map[code] || code || '—';
}
export const nameOf = label;

// An event for the record (timelines): its name with the code beside it.
export function eventLabel(code) {
  return eventNames[code] ? `${eventNames[code]}（${code}）` : code || '';
}
