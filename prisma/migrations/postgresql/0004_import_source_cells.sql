-- AlterTable
ALTER TABLE "Objective" ADD COLUMN     "sourceJson" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Action" ADD COLUMN     "sourceJson" TEXT NOT NULL DEFAULT '{}';

