"""Reading financing deals out of articles, storing them, grouping them into stories."""
