"""The network level of action 1 (the regional coordinated system). See models.py."""
