-- AlterTable
ALTER TABLE "Spec" ADD COLUMN     "graphLayout" JSONB,
ADD COLUMN     "graphLayoutKey" TEXT;
