"""One module per outlet (file name = spider name), plus the shared base."""
