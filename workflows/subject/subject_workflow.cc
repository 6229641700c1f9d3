#include "workflows/subject/subject_workflow.h"

#include "workflows/common/action_helpers.h"
#include "workflows/common/msm_workflow.h"
#include "workflows/subject/subject_machine.h"

namespace credflow::workflows::subject {
namespace {

// Bump when a state is renamed or removed (stored cases name their states).
constexpr int kDefinitionVersion = 1;

class SubjectWorkflow final : public MsmWorkflow<SubjectMachine> {
 public:
  SubjectWorkflow() : MsmWorkflow(kWorkflowName, kDefinitionVersion, kPolicyId) {}
};

}  // namespace

bool IsGradeSource(const std::string& source) {
  return source == kGradeSourceImport || source == kGradeSourceCli || source == kGradeSourceScenario ||
         source == kGradeSourceRecompute;
}

std::unique_ptr<engine::WorkflowDefinition> NewSubjectWorkflow() { return std::make_unique<SubjectWorkflow>(); }

engine::SubjectProfile ProfileFromCaseData(const std::string& code, const std::string& case_id,
                                           const engine::Json& data) {
  engine::SubjectProfile p;
  p.code = code;
  p.case_id = case_id;
  p.name = TextField(data, "name").value_or("");
  p.status = TextField(data, "status").value_or("");
  p.grade = TextField(data, "grade").value_or("");
  p.grade_set_on = policies::Date::Parse(TextField(data, "grade_set_on").value_or(""));
  p.grade_reason = TextField(data, "grade_reason").value_or("");
  p.grade_source = TextField(data, "grade_source").value_or("");
  return p;
}

}  // namespace credflow::workflows::subject
