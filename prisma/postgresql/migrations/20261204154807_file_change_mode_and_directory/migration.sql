-- AlterTable
ALTER TABLE "FileChange" ADD COLUMN     "beforeMode" INTEGER,
ADD COLUMN     "createdDirectory" TEXT;
