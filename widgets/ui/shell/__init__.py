"""The shell around the modules: console, room screen, start page, step bar, agenda,
stage controls, downloads and the fast page opening."""
