-- Written by hand, not as Prisma's diff: for SQLite Prisma redefines both tables (CREATE new_, copy,
-- DROP TABLE), and inside the migration transaction `PRAGMA foreign_keys=OFF` does nothing, so dropping
-- "Action" would cascade-delete every owner, status update and snooze. ADD COLUMN keeps the rows.
-- AlterTable
ALTER TABLE "Objective" ADD COLUMN "sourceJson" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Action" ADD COLUMN "sourceJson" TEXT NOT NULL DEFAULT '{}';
