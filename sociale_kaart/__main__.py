import sys

from sociale_kaart.cli import main

sys.exit(main())
