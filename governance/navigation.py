"""Governance's entry in the back office's menu (the registry is hubs/navigation.py)."""

from hubs.navigation import action_page

action_page(7, "governance:dashboard")
