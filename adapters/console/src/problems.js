// The API's problems (RFC 9457 bodies: status, code, detail) as Chinese
// sentences for the people at the window, in the departments and at the
// audit desk. The API's own detail is English and meant for logs and
// scripts; the console shows this text and keeps the code beside it, so a
// report to the administrator names exactly what went wrong.

// By the problem's code (the engine's reason): what happened and what to do.
export const problemCodeTexts = {
  // The case and its state
  case_not_found: '案件不存在，请核对编号。',
  task_not_found: '部门任务不存在，请核对编号。',
  not_a_repair: '该编号不是信用修复申请。',
  event_not_allowed: '案件当前所处环节不允许此操作，请刷新后查看案件状态。',
  unknown_event: '不认识的办理操作，请刷新页面后重试。',
  timer_event: '该操作由系统按期限自动办理，不能手工发起。',
  system_event: '该操作由系统自动办理，不能手工发起。',
  person_event: '该操作须由经办人办理，不能由系统触发。',
  version_mismatch: '案件已被他人更新，请刷新后重新办理。',
  store_conflict: '案件已被他人更新，请刷新后重新办理。',
  store_changed: '案件已被他人更新，请刷新后重新办理。',
  history_seq_taken: '案件已被他人更新，请刷新后重新办理。',
  case_exists: '该案件已经存在，请勿重复提交。',
  duplicate_record: '该失信记录已经登记，请勿重复提交。',
  idempotency_key_reused: '同一次提交的内容被改动过，请刷新页面后重新提交。',
  idempotency_key_exists: '该提交正在办理中，请稍候刷新查看结果。',
  already_extended: '该任务已经延期过，不能再次延期。',
  extension_not_allowed: '按规定该任务不能延期。',
  no_rectification_order: '尚未作出责令整改决定，不能进行此操作。',
  incomplete_rectification_order: '责令整改决定的内容不完整，请补全后再提交。',
  document_not_available: '该文书在案件当前环节尚不能出具。',
  unknown_document: '不认识的文书类型。',
  date_in_future: '日期不能晚于今天。',
  // Subjects and their records
  subject_not_found: '未找到该主体，请先登记主体信息。',
  subject_not_registered: '该主体尚未登记，请先登记主体信息。',
  invalid_credit_code: '统一社会信用代码不正确（18位，含校验位），请核对。',
  unknown_subject_status: '不认识的主体状态。',
  // Forms and input
  invalid_form: '表单填写不符合要求，请按提示修改。',
  invalid_event_data: '填写内容不符合要求，请按提示修改。',
  invalid_body: '提交的内容格式不正确。',
  malformed_json: '提交的内容格式不正确。',
  invalid_parameter: '查询条件不正确。',
  invalid_query: '查询条件不正确。',
  invalid_limit: '查询条件不正确（每页条数超出范围）。',
  invalid_encoding: '文字编码不正确（须为 UTF-8），请检查是否从其他软件粘贴了特殊字符。',
  too_large: '提交的内容过大。',
  body_too_large: '提交的内容过大。',
  batch_too_large: '一次提交的条目过多，请分批提交。',
  form_not_found: '未找到该表单定义。',
  form_not_loaded: '该表单尚未加载，请联系管理员。',
  // Policies and rules
  no_policy_in_force: '该日期没有生效的政策，请联系管理员。',
  unknown_commitment_type: '承诺事项目录中没有该事项。',
  no_application_window: '目录未规定该事项的申请期限。',
  no_repair_regime: '该日期没有适用的信用修复规定。',
  no_publication_period: '政策未规定该类记录的公示期，请联系管理员。',
  pinned_policy_missing: '案件所依据的政策版本已不在库中，请联系管理员。',
  policy_not_found: '未找到该政策。',
  workflow_not_found: '未找到该流程。',
  calendar_unknown_year: '工作日历缺少该年度，请联系管理员补充节假日安排。',
  // Who may act
  other_department: '该任务属于其他部门，本部门不能查看或办理。',
  wrong_department: '该任务属于其他部门，本部门不能查看或办理。',
  read_only_role: '您的角色只能查看，不能办理。',
  csrf: '页面已过期，请刷新后重试。',
  invalid_credentials: '用户名或密码不正确。',
  session_expired: '登录已过期，请重新登录。',
  missing_token: '未登录，请先登录。',
  invalid_token: '登录凭据无效，请重新登录。',
  too_many_authentication_failures: '失败次数过多，请稍后再试。',
  // The audit desk
  anchor_not_found: '未找到该锚定文件。',
  anchor_unreadable: '锚定文件无法读取或已损坏。',
  bad_anchor: '锚定文件格式不正确。',
  bad_signature: '锚定文件的签名不正确。',
  broken_chain: '哈希链校验未通过。',
  // The server
  store_unavailable: '数据库暂时无法连接，请稍后重试。',
  internal: '服务器内部错误，请联系管理员。',
  request_timeout: '请求超时，请重试。',
  too_many_connections: '连接过多，请稍后重试。',
};

// By HTTP status, for a code this table does not know.
export const problemStatusTexts = {
  400: '请求格式不正确。',
  401: '未登录或登录已过期，请重新登录。',
  403: '您无权进行此操作。',
  404: '未找到所要的内容。',
  408: '请求超时，请重试。',
  409: '案件当前状态不允许此操作，请刷新后查看。',
  412: '案件已被他人更新，请刷新后重新办理。',
  413: '提交的内容过大。',
  414: '请求地址过长。',
  415: '提交的内容类型不正确。',
  422: '填写内容不符合要求，请按提示修改。',
  429: '操作过于频繁，请稍后再试。',
  500: '服务器内部错误，请联系管理员。',
  503: '服务暂时不可用，请稍后重试。',
};

// The sentence for a problem body (or null, when the answer had none) and
// its status. No status (the network failed) is said as such.
export function problemMessage(status, problem) {
  const code = (problem && problem.code) || '';
  if (code && problemCodeTexts[code]) return problemCodeTexts[code];
  if (!status) return '无法连接服务器，请检查网络后重试。';
  const text = problemStatusTexts[status] || `操作未能完成（HTTP ${status}）。`;
  return code ? `${text}（代码：${code}）` : text;
}
