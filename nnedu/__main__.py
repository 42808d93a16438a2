import sys

from nnedu.cli import main

sys.exit(main())
