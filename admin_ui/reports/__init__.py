"""Staff report pages (/admin/reports): charts, filters, comparisons, exports, monthly print report."""
