CREATE INDEX "wagtailcore_pagerevision_submitted_for_moderation_c682e44c" ON "wagtailcore_pagerevision" ("submitted_for_moderation");
