"""The visit page: one visit's data entered in the browser, every write through a service."""
