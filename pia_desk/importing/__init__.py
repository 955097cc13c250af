"""Reading old change tables (.docx / .xlsx / .csv) into a project; writers live in export/."""
