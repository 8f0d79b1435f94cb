"""Site pages for biosamples: the schedule with each sample's custody, and tube labels."""
