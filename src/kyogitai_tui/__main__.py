from kyogitai_tui.cli import main

raise SystemExit(main())
