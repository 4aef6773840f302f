// Reload a group-formation status page every few seconds while the job is running. Without
// JavaScript the page offers a "Check again" link instead.
const status = document.querySelector("[data-peers-job-refresh]");
if (status) {
  const seconds = Number(status.getAttribute("data-peers-job-refresh")) || 3;
  window.setTimeout(() => window.location.reload(), seconds * 1000);
}
