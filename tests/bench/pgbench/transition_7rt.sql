-- The SQL of one credflow VerificationOverdue transition as SociCaseStore sends
-- it today (captured with log_statement=all): 7 round trips. Run by
-- run_benchmarks.sh --diagnose with -M extended (what SOCI does: an unnamed
-- statement parsed and planned on every call) and -M prepared (the same SQL as
-- named prepared statements). Each pgbench client owns cases 'c<client*50+1>'
-- .. 'c<client*50+50>', copies of a real case (see run_benchmarks.sh).
\set n :client_id * 50 + random(1, 50)
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT id, workflow, definition_version, subject, state, outcome, reason, version, policy_id, policy_version, policy_hash, data, parent_id, history_head, created_at, updated_at FROM cases WHERE id = 'c' || :n \gset
SELECT id, subject, kind, status, case_id, data, created_at, updated_at FROM subject_records WHERE subject = :subject ORDER BY created_at, id;
\set nv :version + 1
UPDATE cases SET workflow = :workflow, definition_version = :definition_version, subject = :subject, state = :state, outcome = :outcome, reason = :reason, version = :nv, policy_id = :policy_id, policy_version = :policy_version, policy_hash = :policy_hash, data = :data, parent_id = :parent_id, history_head = :policy_hash, created_at = :created_at, updated_at = :updated_at WHERE id = :id AND version = :version;
INSERT INTO history (case_id, seq, event, from_state, to_state, actor_user, actor_role, actor_department, at, payload, policy_id, policy_version, policy_hash, prev_hash, hash) VALUES (:id, :nv, 'VerificationOverdue', 'UnderVerification', 'UnderVerification', 'bench', 'system', '', :updated_at, '{"data":{},"facts":{"records":[]}}', :policy_id, :policy_version, :policy_hash, :history_head, 'f61f0d08c2115185d0b37950c1fba32672f3a932c0667a3cdb3b196c149845b9') ON CONFLICT (case_id, seq) DO NOTHING;
INSERT INTO notices (id, case_id, recipient, template_id, data, created_at) VALUES (gen_random_uuid()::text, :id, 'caseworker', 'commitment.verification_overdue', '{"due_on":"2025-04-15"}', :updated_at) ON CONFLICT (id) DO NOTHING;
COMMIT;
