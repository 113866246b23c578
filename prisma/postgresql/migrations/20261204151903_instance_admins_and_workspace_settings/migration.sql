-- AlterTable
ALTER TABLE "User" ADD COLUMN     "isAdmin" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "sandbox" JSONB;

-- CreateTable
CREATE TABLE "InstanceSettings" (
    "id" TEXT NOT NULL DEFAULT 'instance',
    "selfServiceTeams" BOOLEAN,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InstanceSettings_pkey" PRIMARY KEY ("id")
);

-- An existing install's first owner (the one setup made) becomes its first administrator.
UPDATE "User" SET "isAdmin" = true WHERE "id" = (SELECT "userId" FROM "Membership" WHERE "role" = 'owner' ORDER BY "createdAt" ASC LIMIT 1);
