CREATE TABLE "wagtailcore_workflowcontenttype" ("content_type_id" integer NOT NULL PRIMARY KEY, "workflow_id" integer NOT NULL);
ALTER TABLE "wagtailcore_workflowcontenttype" ADD CONSTRAINT "wagtailcore_workflow_content_type_id_b261bb37_fk_django_co" FOREIGN KEY ("content_type_id") REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "wagtailcore_workflowcontenttype" ADD CONSTRAINT "wagtailcore_workflow_workflow_id_9aad7cd2_fk_wagtailco" FOREIGN KEY ("workflow_id") REFERENCES "wagtailcore_workflow" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "wagtailcore_workflowcontenttype_workflow_id_9aad7cd2" ON "wagtailcore_workflowcontenttype" ("workflow_id");
