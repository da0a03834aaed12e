"""Full screens: the four modes (inbox, tasks, clients, dashboard) and the screens that open
over them."""
