SET CONSTRAINTS "cms_placeholderrefer_placeholder_ref_id_244759b1_fk_cms_place" IMMEDIATE; ALTER TABLE "cms_placeholderreference" DROP CONSTRAINT "cms_placeholderrefer_placeholder_ref_id_244759b1_fk_cms_place";
ALTER TABLE "cms_placeholderreference" DROP COLUMN "placeholder_ref_id" CASCADE;
DROP TABLE "cms_staticplaceholder" CASCADE;
