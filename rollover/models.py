"""The annual cycle's own records: a roll-over of one year's plan into the next, and the
choices people made while taking in the VRU's new template."""
