"""What cohorts does when the directory's office data changes: rules are evaluated again."""
