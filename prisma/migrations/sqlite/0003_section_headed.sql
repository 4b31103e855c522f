-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SectionUpdate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "threadId" TEXT NOT NULL,
    "personId" TEXT,
    "authorName" TEXT NOT NULL,
    "section" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "postedAt" DATETIME NOT NULL,
    "editedAt" DATETIME,
    "deletedAt" DATETIME,
    "headed" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "SectionUpdate_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "UpdateThread" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SectionUpdate_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_SectionUpdate" ("authorName", "deletedAt", "editedAt", "id", "personId", "platformMessageId", "postedAt", "section", "text", "threadId") SELECT "authorName", "deletedAt", "editedAt", "id", "personId", "platformMessageId", "postedAt", "section", "text", "threadId" FROM "SectionUpdate";
DROP TABLE "SectionUpdate";
ALTER TABLE "new_SectionUpdate" RENAME TO "SectionUpdate";
CREATE UNIQUE INDEX "SectionUpdate_threadId_platformMessageId_key" ON "SectionUpdate"("threadId", "platformMessageId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

