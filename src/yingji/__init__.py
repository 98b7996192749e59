"""Yingji (应急): the emergency-management platform of an urban district."""

__version__ = "0.1.0"
