"""Views of Together We Work: `backoffice` (staff and partner operators) and `public` (links)."""
