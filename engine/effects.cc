// Effects and the join: what a transition's actions asked for, written in
// the same transaction, and the delivery of a child's outcome to its parent.
#include "engine/effects.h"

#include "engine/authorization.h"
#include "engine/case_service.h"

namespace credflow::engine {

Status CaseService::ApplyEffects(StoreTransaction& tx, const Case& c, const Effects& effects) {
  const Timestamp now = clock_->Now();
  for (const Effect& effect : effects) {
    Status st;
    if (const auto* timer = std::get_if<SetTimer>(&effect)) {
      Timer t;
      t.id = NewId(now);
      t.case_id = c.id;
      t.name = timer->name;
      t.event = timer->event;
      t.payload = timer->payload;
      t.due_on = timer->due_on;
      t.fire_at = StartOfDay(timer->fire_on.value_or(timer->due_on.AddDays(1)));
      t.provisional = timer->provisional;
      st = tx.PutTimer(t);
    } else if (const auto* cancel = std::get_if<CancelTimer>(&effect)) {
      st = tx.CancelTimer(c.id, cancel->name);
    } else if (const auto* put = std::get_if<PutSubjectRecord>(&effect)) {
      SubjectRecord r = put->record;
      // The audit re-derives records from histories, so a record's id must
      // follow from its case (e.g. "<case>:false_commitment"), never be drawn.
      if (r.id.empty()) return Status::Internal("case " + c.id + " wrote a subject record without an id");
      if (r.created_at == Timestamp{}) r.created_at = now;
      if (r.subject.empty()) r.subject = c.subject;
      if (r.case_id.empty()) r.case_id = c.id;
      r.updated_at = now;
      st = tx.PutSubjectRecord(r);
    } else if (const auto* profile = std::get_if<PutSubjectProfile>(&effect)) {
      SubjectProfile sp = profile->profile;
      if (sp.code.empty()) sp.code = c.subject;
      if (sp.case_id.empty()) sp.case_id = c.id;
      sp.updated_at = now;
      st = tx.PutSubjectProfile(sp);
    } else if (const auto* notice = std::get_if<SendNotice>(&effect)) {
      st = tx.PutNotice(Notice{NewId(now), c.id, notice->recipient, notice->template_id, notice->data, now});
    } else if (const auto* open = std::get_if<OpenChildCase>(&effect)) {
      OpenCaseRequest child;
      child.workflow = open->workflow;
      child.subject = open->subject.empty() ? c.subject : open->subject;
      child.data = open->data;
      child.actor = SystemActor();
      child.parent_id = c.id;
      child.department = open->department;
      if (!open->first_event.empty()) {
        child.events.push_back(EventInput{open->first_event, open->first_event_data, SystemActor()});
      }
      CommandResult ignored;
      st = OpenInTransaction(tx, child, Channel::kEngine, &ignored);
    } else if (const auto* raise = std::get_if<RaiseOnCase>(&effect)) {
      // The target must exist now: a delivery to nothing would wait forever.
      Result<Case> target = tx.LoadCase(raise->case_id);
      if (!target.ok()) {
        return target.status().IsNotFound()
                   ? Status::FailedPrecondition("case_not_found", "case " + c.id + " raises " + raise->event +
                                                                      " on case " + raise->case_id +
                                                                      ", which does not exist")
                   : target.status();
      }
      Timer delivery;
      delivery.id = NewId(now);
      delivery.case_id = raise->case_id;
      delivery.name = kRaiseDeliveryPrefix + c.id + ":" + raise->event;
      delivery.event = raise->event;
      delivery.payload = raise->data;
      delivery.payload["raised_by"] = c.id;
      delivery.due_on = OfficeDate(now);
      delivery.fire_at = now;
      st = tx.PutTimer(delivery);
    }
    CREDFLOW_RETURN_IF_ERROR(st);
  }
  return Status::Ok();
}

Status CaseService::NotifyParent(StoreTransaction& tx, const Case& child) {
  const Timestamp now = clock_->Now();
  CREDFLOW_RETURN_IF_ERROR(
      tx.PutChildOutcome(ChildOutcome{child.parent_id, child.id, child.workflow, child.outcome, now}));
  Timer delivery;
  delivery.id = NewId(now);
  delivery.case_id = child.parent_id;
  // One delivery per child and outcome: the name is unique among the
  // parent's timers, and the scheduler deletes it in the transaction that
  // fires it, so a delivery is neither lost nor applied twice.
  delivery.name = kChildDeliveryPrefix + child.id + ":" + child.outcome;
  delivery.event = kChildReachedOutcomeEvent;
  // The child's data travel with the delivery (and so into the parent's
  // history): the parent acts on what the child found, e.g. the findings
  // and rectification period of a nonconforming verification.
  delivery.payload = {{"child", child.id},
                      {"workflow", child.workflow},
                      {"outcome", child.outcome},
                      {"reason", child.reason},
                      {"child_data", child.data}};
  delivery.due_on = OfficeDate(now);
  delivery.fire_at = now;
  return tx.PutTimer(delivery);
}

}  // namespace credflow::engine
