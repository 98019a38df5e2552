"""checkin"""
