DROP INDEX IF EXISTS "unique_in_progress_workflow";
CREATE UNIQUE INDEX "unique_in_progress_workflow" ON "wagtailcore_workflowstate" ("page_id") WHERE "status" IN ('in_progress', 'needs_changes');
