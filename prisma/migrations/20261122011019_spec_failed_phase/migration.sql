-- AlterTable
ALTER TABLE "Spec" ADD COLUMN     "failedPhase" "SpecPhase";
