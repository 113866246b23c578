-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN "archivedAt" DATETIME;
ALTER TABLE "Workspace" ADD COLUMN "sandbox" JSONB;

-- CreateTable
CREATE TABLE "InstanceSettings" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'instance',
    "selfServiceTeams" BOOLEAN,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_User" ("createdAt", "email", "id", "name", "passwordHash") SELECT "createdAt", "email", "id", "name", "passwordHash" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- An existing install's first owner (the one setup made) becomes its first administrator.
UPDATE "User" SET "isAdmin" = 1 WHERE "id" = (SELECT "userId" FROM "Membership" WHERE "role" = 'owner' ORDER BY "createdAt" ASC LIMIT 1);
