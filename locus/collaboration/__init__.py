"""Collaboration (measure 3): organisations, projects, consortium rules, the mandate simulator,
network metrics per place and partner recommendations."""
