-- Erasure (issue 18 pt 4) against the append-only audit: an audit row may be changed in exactly one
-- way — an erased person's name replaced by their pseudonym ("Former officer N") in the name,
-- value and summary columns. Every other column must stay as it was, and a changed name column
-- must now read "Former officer …": any other update is still refused, and deletes and TRUNCATE always are.
CREATE FUNCTION "AuditEvent_pseudonymise_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."id" IS NOT DISTINCT FROM OLD."id" AND NEW."workspaceId" IS NOT DISTINCT FROM OLD."workspaceId" AND NEW."groupId" IS NOT DISTINCT FROM OLD."groupId"
     AND NEW."at" IS NOT DISTINCT FROM OLD."at" AND NEW."kind" IS NOT DISTINCT FROM OLD."kind" AND NEW."personId" IS NOT DISTINCT FROM OLD."personId"
     AND NEW."channel" IS NOT DISTINCT FROM OLD."channel" AND NEW."actionId" IS NOT DISTINCT FROM OLD."actionId" AND NEW."actionRef" IS NOT DISTINCT FROM OLD."actionRef"
     AND NEW."subjectPersonId" IS NOT DISTINCT FROM OLD."subjectPersonId" AND NEW."statusUpdateId" IS NOT DISTINCT FROM OLD."statusUpdateId"
     AND (NEW."actorName" IS NOT DISTINCT FROM OLD."actorName" OR NEW."actorName" LIKE '%Former officer %')
     AND (NEW."subjectName" IS NOT DISTINCT FROM OLD."subjectName" OR NEW."subjectName" LIKE '%Former officer %')
     AND (NEW."fromValue" IS NOT DISTINCT FROM OLD."fromValue" OR NEW."fromValue" LIKE '%Former officer %')
     AND (NEW."toValue" IS NOT DISTINCT FROM OLD."toValue" OR NEW."toValue" LIKE '%Former officer %')
     AND (NEW."summary" IS NOT DISTINCT FROM OLD."summary" OR NEW."summary" LIKE '%Former officer %') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'AuditEvent is append-only: UPDATE refused (only an erased person''s name may become their pseudonym)';
END
$$;
DROP TRIGGER "AuditEvent_no_update_delete" ON "AuditEvent";
CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "AuditEvent_append_only"();
CREATE TRIGGER "AuditEvent_pseudonymise_only" BEFORE UPDATE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "AuditEvent_pseudonymise_only"();
