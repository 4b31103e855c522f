-- AlterTable
ALTER TABLE "SectionUpdate" ADD COLUMN     "headed" BOOLEAN NOT NULL DEFAULT true;

