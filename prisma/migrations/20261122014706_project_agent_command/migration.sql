-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "agentCommand" TEXT;
