"""The web layer's plumbing: templates, CSRF, security headers, flash messages, error pages."""
