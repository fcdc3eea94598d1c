-- AlterEnum
ALTER TYPE "IntegrationType" ADD VALUE 'GORGIAS';
