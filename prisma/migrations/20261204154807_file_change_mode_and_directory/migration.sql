-- AlterTable
ALTER TABLE "FileChange" ADD COLUMN "beforeMode" INTEGER;
ALTER TABLE "FileChange" ADD COLUMN "createdDirectory" TEXT;
