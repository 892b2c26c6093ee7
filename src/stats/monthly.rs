//! Monthly briefing figures (see DESIGN.md, "How the figures are defined").
