-- CreateIndex
CREATE UNIQUE INDEX "Ticket_projectId_githubIssueNumber_key" ON "Ticket"("projectId", "githubIssueNumber");
