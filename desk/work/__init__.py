"""The workspace's work: tasks, their checklists, orders and products, custom fields, saved
views, and the listing and filtering behind every task list."""
